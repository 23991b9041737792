namespace Workflow.ServiceDefaults.Blobs;

/// <summary>A folder of the blob store (<c>jobs/{id}</c>) and when anything in it last changed (UTC).</summary>
public sealed record BlobFolder(string Key, DateTime LastWriteUtc);
