using System.Text;
using Shoal.Core.Manifests;

namespace Shoal.Media.Publishing;

/// <summary>
/// Reads and writes a publisher's Ed25519 key files: the private key (the 32-byte RFC 8032 seed as hex) in a
/// file only its owner can read (0600), and the public key as hex in <c>FILE.pub</c>.
/// </summary>
public static class PublisherKeyFile
{
    /// <summary>Suffix of the public key file written beside the private key.</summary>
    public const string PublicSuffix = ".pub";

    /// <summary>Only the owner may read or write a private key (POSIX mode 0600).</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const string PrivateHeader = "# shoal publisher key (Ed25519 private key, hex). Keep it secret: it signs as you.";

    /// <summary>Writes a new key pair's files; false with a reason when <paramref name="path"/> exists (unless <paramref name="overwrite"/>) or cannot be written.</summary>
    public static bool TryWrite(SigningKeyPair key, string path, bool overwrite, out string error)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(path);
        error = "";
        var publicPath = path + PublicSuffix;
        if (!overwrite && (File.Exists(path) || File.Exists(publicPath)))
        {
            error = $"{path} already exists; pass --force to replace it (the old key can no longer sign)";
            return false;
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var text = PrivateHeader + "\n" + Convert.ToHexStringLower(key.ExportPrivateKey()) + "\n";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // The mode applies when the file is created, so the secret is never readable by others, not even briefly.
                options.UnixCreateMode = PrivateMode;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
            }

            if (!OperatingSystem.IsWindows())
            {
                // An existing file (overwrite) keeps its old mode on open: set it explicitly.
                File.SetUnixFileMode(path, PrivateMode);
            }

            File.WriteAllText(publicPath, key.PublicKey + "\n");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot write {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>Loads a private key file; false with a reason when it is missing, unreadable or not a key.</summary>
    public static bool TryReadPrivate(string path, out SigningKeyPair key, out string error)
    {
        key = null!;
        if (!TryReadHex(path, out var bytes, out error))
        {
            return false;
        }

        // A public key is also 32 bytes of hex: without this check it would load as a different private key.
        if (!IsPrivateKeyFile(path))
        {
            error = $"{path} is not a private key file written by `shoal keygen` (a .pub file holds the public key only)";
            return false;
        }

        if (!SigningKeyPair.TryImportPrivateKey(bytes, out key, out var why))
        {
            error = $"{path}: {why}";
            return false;
        }

        return true;
    }

    /// <summary>Loads a public key file (or a private key file, whose public half it returns).</summary>
    public static bool TryReadPublic(string path, out PublicSigningKey key, out string error)
    {
        key = null!;
        if (!TryReadHex(path, out var bytes, out error))
        {
            return false;
        }

        if (IsPrivateKeyFile(path))
        {
            if (!SigningKeyPair.TryImportPrivateKey(bytes, out var pair, out var why))
            {
                error = $"{path}: {why}";
                return false;
            }

            using (pair)
            {
                return PublicSigningKey.TryFromBytes(pair.PublicKey.Span, out key, out error);
            }
        }

        if (!PublicSigningKey.TryFromBytes(bytes, out key, out var reason))
        {
            error = $"{path}: {reason}";
            return false;
        }

        return true;
    }

    private static bool IsPrivateKeyFile(string path) => File.ReadAllText(path).StartsWith(PrivateHeader, StringComparison.Ordinal);

    private static bool TryReadHex(string path, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"{path} does not exist (make one with `shoal keygen --out {path}`)";
                return false;
            }

            if (info.Length > 4096)
            {
                error = $"{path} is too large to be a key file";
                return false;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {e.Message}";
            return false;
        }

        var hex = string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#'));
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            error = $"{path} does not hold a hex key";
            return false;
        }
    }
}
