namespace Shoal.Media.Dash;

/// <summary>A DASH adaptation set: interchangeable representations of one content component.</summary>
/// <param name="Id">AdaptationSet@id, when given.</param>
/// <param name="ContentType">contentType or the MIME type's major part (video, audio, text), when known.</param>
/// <param name="Representations">The representations.</param>
public sealed record MpdAdaptationSet(string? Id, string? ContentType, IReadOnlyList<MpdRepresentation> Representations);
