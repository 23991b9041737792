using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Blobs;

/// <summary>A blob store on a folder that every service shares (a volume in docker-compose).</summary>
public sealed class FileSystemBlobStore(IOptions<BlobStoreOptions> options) : IBlobStore
{
    readonly string root = Path.GetFullPath(options.Value.Root);

    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside the target, then rename: a crash mid-write never leaves a torn blob under the key.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Stream? OpenRead(string key)
    {
        var path = Resolve(key);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null;
    }

    public bool Exists(string key) => File.Exists(Resolve(key));

    public IReadOnlyList<BlobFolder> Folders(string prefix)
    {
        var path = Resolve(prefix);
        if (!Directory.Exists(path))
        {
            return [];
        }

        // A folder's own time moves when a file is added to or removed from it; the newest file inside is what a
        // writer touched last.
        return [.. new DirectoryInfo(path).EnumerateDirectories().Select(d => new BlobFolder(
            $"{prefix.TrimEnd('/')}/{d.Name}",
            d.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.LastWriteTimeUtc).Append(d.LastWriteTimeUtc).Max()))];
    }

    public bool DeleteFolder(string prefix)
    {
        var path = Resolve(prefix);
        if (!Directory.Exists(path))
        {
            return false;
        }

        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            // Another instance's run took it first.
            return false;
        }
    }

    string Resolve(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, key));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob key '{key}' leaves the blob store.", nameof(key));
        }

        return path;
    }
}
