namespace Shoal.Dht.Krpc;

/// <summary>KRPC's "y" key (BEP 5): a query, a response or an error.</summary>
public enum KrpcMessageKind
{
    Query,
    Response,
    Error,
}
