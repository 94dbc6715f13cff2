namespace Shoal.Engine.Channels;

/// <summary>Where a <see cref="PeerChannel"/> is in its life (RFC 7574 §3.1 and §8.4).</summary>
public enum ChannelState
{
    /// <summary>The handshake is under way: the initiator waits for the reply, the responder for the first datagram on its channel.</summary>
    Connecting,

    /// <summary>Both ends know each other's channel id: every message may flow.</summary>
    Open,

    /// <summary>Closed for good; <see cref="PeerChannel.CloseReason"/> says why.</summary>
    Closed,
}
