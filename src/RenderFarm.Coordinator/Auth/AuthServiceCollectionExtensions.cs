using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using RenderFarm.Core.Studios;

namespace RenderFarm.Coordinator.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>The scheme every endpoint uses; it picks keys, tokens or the session cookie by what the request carries.</summary>
    public const string FarmScheme = "Farm";

    public const string SessionScheme = "Session";

    /// <summary>API keys, optional JWT bearer tokens and the web UI's session cookie, one policy per role, CORS.</summary>
    public static IServiceCollection AddFarmAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JwtTokenOptions>().BindConfiguration(JwtTokenOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var jwt = configuration.GetSection(JwtTokenOptions.SectionName).Get<JwtTokenOptions>() ?? new JwtTokenOptions();

        services.AddHostedService<ApiKeyBootstrapper>();

        var builder = services.AddAuthentication(FarmScheme)
            .AddPolicyScheme(FarmScheme, "API key, token or session", scheme => scheme.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.BearerValue(context.Request) switch
                {
                    null => SessionScheme,
                    var value when jwt.IsEnabled && !value.StartsWith(ApiKeyFormat.Marker, StringComparison.Ordinal) => JwtBearerDefaults.AuthenticationScheme,
                    _ => ApiKeyAuthenticationHandler.SchemeName,
                })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionScheme, cookie =>
            {
                cookie.Cookie.Name = "renderfarm-session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = auth.SessionLifetime;
                cookie.SlidingExpiration = true;

                // An API answers 401/403; the web UI shows its own sign-in form.
                cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
            });

        if (jwt.IsEnabled)
        {
            builder.AddJwtBearer(bearer =>
            {
                bearer.MapInboundClaims = false;
                bearer.Authority = jwt.Authority;
                bearer.Audience = jwt.Audience;
                bearer.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                bearer.TokenValidationParameters.ValidateIssuer = !string.IsNullOrEmpty(jwt.Issuer) || !string.IsNullOrEmpty(jwt.Authority);
                bearer.TokenValidationParameters.ValidateAudience = !string.IsNullOrEmpty(jwt.Audience);
                if (!string.IsNullOrEmpty(jwt.SigningKey))
                {
                    bearer.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey));
                }

                bearer.Events = new JwtBearerEvents { OnTokenValidated = context => TokenClaims.MapAsync(context, jwt) };
            });
        }

        services.AddAuthorization(FarmPolicies.Add);
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            policy.WithOrigins(auth.AllowedOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()));
        return services;
    }

    /// <summary>Cross-site guard, CORS, authentication, the caller's studio scope, authorization; in that order.</summary>
    public static WebApplication UseFarmAuth(this WebApplication app)
    {
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseCors();
        app.UseAuthentication();
        app.Use((context, next) =>
        {
            var scope = context.RequestServices.GetRequiredService<StudioScope>();
            if (FarmCaller.From(context.User) is { } caller)
            {
                if (caller.IsAdmin)
                {
                    scope.Unrestrict();
                }
                else
                {
                    scope.RestrictTo(caller.StudioId);
                }
            }
            else
            {
                scope.RestrictTo(Guid.Empty);
            }

            return next(context);
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>A session names its key: revoking the key (or its expiry) ends the session at the next request.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.Principal is null ? null : FarmCaller.From(context.Principal);
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
        if (caller?.KeyId is not { } keyId || await keys.FindUsableAsync(keyId, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionScheme);
        }
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
