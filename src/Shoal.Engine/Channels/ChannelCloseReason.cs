namespace Shoal.Engine.Channels;

/// <summary>Why a <see cref="PeerChannel"/> closed.</summary>
public enum ChannelCloseReason
{
    /// <summary>Still open.</summary>
    None,

    /// <summary>The owner called <see cref="PeerChannel.Close"/>.</summary>
    ClosedLocally,

    /// <summary>The peer sent a closing HANDSHAKE (source channel id 0, RFC 7574 §8.4).</summary>
    ClosedByPeer,

    /// <summary>The handshake got no answer after every retry.</summary>
    HandshakeTimedOut,

    /// <summary>The peer answered, but no protocol version lies in both ranges (RFC 7574 §7.2-§7.3).</summary>
    VersionMismatch,

    /// <summary>The peer closed the channel during the handshake: it does not serve this swarm or is full.</summary>
    Rejected,

    /// <summary>Nothing heard from the peer for the idle time-out: it is presumed dead.</summary>
    PeerTimedOut,
}
