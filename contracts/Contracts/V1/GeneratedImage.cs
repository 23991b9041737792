namespace Workflow.Contracts.V1;

/// <summary>A rendered image, by reference: the bytes stay in the blob store.</summary>
/// <param name="Index">Position in the job, from 0.</param>
/// <param name="BlobKey">Key of the PNG in the blob store.</param>
/// <param name="Prompt">The prompt it was rendered from.</param>
/// <param name="Combination">The combination behind the prompt.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Sha256">Hex SHA-256 of the PNG bytes.</param>
/// <param name="Bytes">Size of the PNG in bytes.</param>
/// <param name="RenderMilliseconds">How long the provider took; null when the image was reused from a checkpoint.</param>
public sealed record GeneratedImage(
    int Index,
    string BlobKey,
    string Prompt,
    IReadOnlyDictionary<string, string> Combination,
    int Width,
    int Height,
    string Sha256,
    long Bytes,
    double? RenderMilliseconds = null);
