using System.CommandLine;
using Shoal.Cli;
using Shoal.Cli.Commands;

ParentWatch.StartIfRequested();

var root = new RootCommand(
    "Shoal: a peer-assisted CDN for live and on-demand video and plain files. " +
    "Viewers' nodes carry most of the bytes for each other over UDP and fall back to the origin when a deadline nears.");

// One line per command; each command lives in Commands/<Name>Command.cs.
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(OriginCommand.Create());
root.Subcommands.Add(NodeCommand.Create());
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(FuzzCommand.Create());
root.Subcommands.Add(TrackerCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(DhtCommand.Create());
root.Subcommands.Add(KeygenCommand.Create());
root.Subcommands.Add(PublishCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(SimCommand.Create());

return await root.Parse(args).InvokeAsync();
