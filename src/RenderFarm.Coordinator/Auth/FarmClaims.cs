namespace RenderFarm.Coordinator.Auth;

/// <summary>Claim types of a signed-in caller, whichever way they signed in (key, session cookie, token).</summary>
public static class FarmClaims
{
    public const string Studio = "rf:studio";
    public const string Role = "rf:role";
    public const string KeyId = "rf:key";
    public const string Actor = "rf:actor";
}
