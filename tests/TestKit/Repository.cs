namespace Workflow.TestKit;

/// <summary>Where the repository's files are, for specs that read them or run its scripts.</summary>
public static class Repository
{
    /// <summary>The repository's root folder, found from the test assembly's location.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflow.sln not found above " + AppContext.BaseDirectory);
    }
}
