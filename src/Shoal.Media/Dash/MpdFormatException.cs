namespace Shoal.Media.Dash;

/// <summary>Internal signal of a malformed MPD; never leaves <see cref="MpdParser"/> or <see cref="MpdRewriter"/>.</summary>
internal sealed class MpdFormatException(string message) : Exception(message);
