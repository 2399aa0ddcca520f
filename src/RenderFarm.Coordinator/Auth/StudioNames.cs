namespace RenderFarm.Coordinator.Auth;

/// <summary>How a studio may be named: it appears in URLs, tokens' claims and metric labels.</summary>
public static class StudioNames
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{0,62}$";

    public const string Rule = "A studio name is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit.";
}
