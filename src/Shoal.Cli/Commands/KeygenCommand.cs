using System.CommandLine;
using Shoal.Core.Manifests;
using Shoal.Media.Publishing;

namespace Shoal.Cli.Commands;

/// <summary>`shoal keygen`: makes the Ed25519 key pair a publisher signs its manifests with.</summary>
internal static class KeygenCommand
{
    /// <summary>Where keygen writes and publish looks when no path is given: ~/.config/shoal/publisher.key.</summary>
    public static string DefaultKeyPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "shoal", "publisher.key");

    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "The private key file to write (mode 0600); the public key goes to FILE.pub. Default: ~/.config/shoal/publisher.key.",
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing key (anything it signed can then no longer be updated)." };
        var command = new Command(
            "keygen",
            "Make an Ed25519 publisher key pair. `shoal publish --key FILE` signs every segment's hashes with the private key; " +
            "viewers, nodes and `shoal verify --key FILE.pub` check them with the public key, which this command prints.")
        {
            output,
            force,
        };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(output) ?? DefaultKeyPath;
            using var key = SigningKeyPair.Generate();
            if (!PublisherKeyFile.TryWrite(key, path, parseResult.GetValue(force), out var error))
            {
                Console.Error.WriteLine($"shoal keygen: {error}");
                return 1;
            }

            Console.WriteLine($"private key: {Path.GetFullPath(path)} (mode 0600: keep it secret)");
            Console.WriteLine($"public key:  {Path.GetFullPath(path)}{PublisherKeyFile.PublicSuffix}");
            Console.WriteLine(key.PublicKey.ToString());
            return 0;
        });
        return command;
    }
}
