namespace RenderFarm.IntegrationTests.Monitoring;

/// <summary>Files of the repository the tests check (deploy/, docker-compose.yml).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("RenderFarm.sln not found above the test binaries.");
    }
}
