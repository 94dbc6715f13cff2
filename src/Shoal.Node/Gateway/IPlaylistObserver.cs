namespace Shoal.Node.Gateway;

/// <summary>
/// A segment source that wants to know which playlists players watch: the swarm source joins a resource's swarm
/// when its media playlist is first served, before the player asks for the first segment.
/// </summary>
public interface IPlaylistObserver
{
    Task PlaylistServedAsync(Uri playlistUrl, bool live, CancellationToken cancellationToken);
}
