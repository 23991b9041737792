using System.ComponentModel.DataAnnotations;

namespace Workflow.ServiceDefaults.Blobs;

/// <summary>Where images and manifests live; bound from the <c>Blobs</c> section (environment: <c>Blobs__Root</c>).</summary>
public sealed class BlobStoreOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Blobs";

    /// <summary>Root folder of the blob store; relative paths resolve against the working directory.</summary>
    [Required]
    public string Root { get; set; } = ".data/blobs";
}
