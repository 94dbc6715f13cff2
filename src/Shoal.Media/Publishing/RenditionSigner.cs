using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Media.Hls;

namespace Shoal.Media.Publishing;

/// <summary>
/// Watches one rendition's folder and keeps its signed manifest in step with its playlist: every segment
/// the playlist lists (and so ffmpeg has finished) is hashed into a Merkle root and signed, as a chain of
/// live updates or as a growing VOD manifest, written atomically beside the playlist.
/// </summary>
internal sealed class RenditionSigner
{
    /// <summary>RFC 7574 §5's default; the manifest names it, so a later version may choose another.</summary>
    private const MerkleHashFunction HashFunction = MerkleHashFunction.Sha256;

    private readonly string _folder;
    private readonly SigningKeyPair _key;
    private readonly PublishOptions _options;
    private readonly LiveManifestPublisher? _live;
    private readonly List<SegmentEntry> _vod = [];
    private long _lastSequence = -1;

    public RenditionSigner(string name, string folder, Rid rid, SigningKeyPair key, PublishOptions options)
    {
        Name = name;
        _folder = folder;
        _key = key;
        _options = options;
        Rid = rid;
        if (options.Live)
        {
            _live = new LiveManifestPublisher(key, rid, ResourceKind.HlsLive, new LiveManifestOptions(options.Window, options.PieceSize, HashFunction));
        }
    }

    public string Name { get; }

    public Rid Rid { get; }

    public int SegmentsSigned { get; private set; }

    /// <summary>Signs whatever the playlist lists that is not signed yet; reports what it did.</summary>
    public void Poll(Action<PublishEvent> report)
    {
        var path = Path.Combine(_folder, PublishedFiles.Playlist);
        if (!File.Exists(path))
        {
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return; // ffmpeg replaces the playlist by rename; the next poll reads it.
        }

        if (!HlsPlaylistParser.TryParse(text, null, null, out var parsed, out var error) || parsed is not HlsMediaPlaylist playlist)
        {
            report(new PublishEvent(PublishEventKind.Warning, $"{Name}: cannot read the playlist ffmpeg wrote: {error}"));
            return;
        }

        var added = new List<SegmentEntry>();
        for (var i = 0; i < playlist.Segments.Count; i++)
        {
            var sequence = playlist.SequenceAt(i);
            if (sequence <= _lastSequence)
            {
                continue;
            }

            var segment = playlist.Segments[i];
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(_folder, segment.Uri));
            }
            catch (IOException e)
            {
                report(new PublishEvent(PublishEventKind.Warning, $"{Name}: segment {sequence} ({segment.Uri}) could not be read and is left out of the manifest: {e.Message}"));
                _lastSequence = sequence;
                continue;
            }

            var root = MerkleTree.Build(HashFunction, bytes).Root;
            var duration = TimeSpan.FromMicroseconds(Math.Round(segment.Duration * 1_000_000));
            added.Add(new SegmentEntry(sequence, segment.Uri, null, bytes.Length, duration, root));
            _lastSequence = sequence;
        }

        if (added.Count == 0)
        {
            return;
        }

        SignedManifest signed;
        if (_live is not null)
        {
            signed = _live.Publish(added);
            WriteUpdate(signed);
        }
        else
        {
            _vod.AddRange(added);
            signed = SignedManifest.Sign(new Manifest(Rid, ResourceKind.HlsVod, _vod, _options.PieceSize, HashFunction), _key);
        }

        WriteAtomically(Path.Combine(_folder, PublishedFiles.Manifest), signed.Bytes.ToArray());
        WriteAtomically(Path.Combine(_folder, PublishedFiles.ManifestJson), System.Text.Encoding.UTF8.GetBytes(ManifestJson.Write(signed.Manifest, signed)));
        SegmentsSigned += added.Count;
        report(new PublishEvent(PublishEventKind.ManifestUpdated, $"{Name}: signed segments {added[0].Sequence}..{added[^1].Sequence}")
        {
            Rendition = Name,
            PlaylistSequences = Enumerable.Range(0, playlist.Segments.Count).Select(i => playlist.SequenceAt(i)).ToArray(),
            ManifestSequences = signed.Manifest.Segments.Select(s => s.Sequence).ToArray(),
            UpdateNumber = signed.Manifest.UpdateNumber,
        });
    }

    private void WriteUpdate(SignedManifest signed)
    {
        var folder = Path.Combine(_folder, PublishedFiles.UpdatesFolder);
        Directory.CreateDirectory(folder);
        var number = signed.Manifest.UpdateNumber;
        WriteAtomically(Path.Combine(folder, PublishedFiles.UpdateFile(number)), signed.Bytes.ToArray());
        var stale = Path.Combine(folder, PublishedFiles.UpdateFile(number - _options.KeptUpdates));
        if (number > _options.KeptUpdates && File.Exists(stale))
        {
            File.Delete(stale);
        }
    }

    /// <summary>Readers (the origin, a node) never see half a manifest: write beside, then rename over.</summary>
    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
