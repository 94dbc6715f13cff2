namespace Shoal.Dht.Krpc;

/// <summary>BEP 5 error codes.</summary>
public static class KrpcErrorCode
{
    public const int Generic = 201;
    public const int Server = 202;
    public const int Protocol = 203;
    public const int MethodUnknown = 204;
}
