namespace Workflow.ServiceDefaults.Blobs;

/// <summary>Stores blobs (images, manifests) by key, such as <c>jobs/{jobId}/images/0003.png</c>.</summary>
public interface IBlobStore
{
    /// <summary>Writes the blob atomically: readers see the old blob or the whole new one, never a part.</summary>
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Opens the blob for reading, or null when it does not exist.</summary>
    Stream? OpenRead(string key);

    /// <summary>True when the blob exists.</summary>
    bool Exists(string key);

    /// <summary>The folders right under <paramref name="prefix"/> (<c>jobs</c> gives <c>jobs/{id}</c>), each with when it last changed.</summary>
    IReadOnlyList<BlobFolder> Folders(string prefix);

    /// <summary>Deletes every blob under <paramref name="prefix"/>; true when there was any.</summary>
    bool DeleteFolder(string prefix);
}
