using Shoal.Core.Manifests;
using Shoal.Media.Publishing;

namespace Shoal.Media.Tests.Publishing;

public sealed class PublisherKeyFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shoal-keys-");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public void A_written_key_is_private_to_its_owner_and_reads_back()
    {
        var path = Path.Combine(_dir.FullName, "sub", "publisher.key");
        using var key = SigningKeyPair.Generate();
        Assert.True(PublisherKeyFile.TryWrite(key, path, false, out var error), error);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.True(PublisherKeyFile.TryReadPrivate(path, out var loaded, out error), error);
        using (loaded)
        {
            Assert.Equal(key.PublicKey, loaded.PublicKey);
        }

        Assert.True(PublisherKeyFile.TryReadPublic(path + ".pub", out var publicKey, out error), error);
        Assert.Equal(key.PublicKey, publicKey);
        Assert.True(PublisherKeyFile.TryReadPublic(path, out var fromPrivate, out error), error);
        Assert.Equal(key.PublicKey, fromPrivate);

        // The public half must never be mistaken for a private key (both are 32 bytes of hex).
        Assert.False(PublisherKeyFile.TryReadPrivate(path + ".pub", out _, out error));
        Assert.Contains("not a private key file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_key_is_not_overwritten_without_force_and_is_made_private_when_it_is()
    {
        var path = Path.Combine(_dir.FullName, "k");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        using var key = SigningKeyPair.Generate();
        Assert.False(PublisherKeyFile.TryWrite(key, path, false, out var error));
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.True(PublisherKeyFile.TryWrite(key, path, true, out error), error);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("zz not hex", "hex")]
    [InlineData("00ff", "32 bytes")]
    public void Files_that_are_not_keys_are_refused(string content, string reason)
    {
        var path = Path.Combine(_dir.FullName, "bad.pub");
        File.WriteAllText(path, content);
        Assert.False(PublisherKeyFile.TryReadPublic(path, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(PublisherKeyFile.TryReadPrivate(Path.Combine(_dir.FullName, "missing"), out _, out error));
        Assert.Contains("shoal keygen", error, StringComparison.Ordinal);
    }
}
