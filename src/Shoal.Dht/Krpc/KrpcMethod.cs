namespace Shoal.Dht.Krpc;

/// <summary>The four BEP 5 queries; <see cref="Unknown"/> for any other "q" (answered with error 204).</summary>
public enum KrpcMethod
{
    Unknown,
    Ping,
    FindNode,
    GetPeers,
    AnnouncePeer,
}
