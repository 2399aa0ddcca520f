namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>
/// The samplers the farm's engines implement (RenderFarm.Inference's schedulers), by the names they write into
/// infotexts. Which one renders is set by each model's scheduler configuration, not per request.
/// </summary>
public static class WebUiSamplers
{
    public static IReadOnlyList<SamplerItem> All { get; } =
    [
        new("Euler", ["k_euler"], new Dictionary<string, string>()),
        new("Euler a", ["k_euler_a"], new Dictionary<string, string>()),
        new("Euler Karras", ["k_euler_ka"], new Dictionary<string, string> { ["scheduler"] = "karras" }),
        new("DPM++ 2M", ["k_dpmpp_2m"], new Dictionary<string, string>()),
        new("DPM++ 2M Karras", ["k_dpmpp_2m_ka"], new Dictionary<string, string> { ["scheduler"] = "karras" }),
        new("LCM", ["k_lcm"], new Dictionary<string, string>()),
        new("Euler (flow match)", ["flow_euler"], new Dictionary<string, string>()),
    ];

    /// <summary>Finds a sampler by name or alias, ignoring case as the WebUI's sampler map does.</summary>
    public static SamplerItem? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase) || s.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
}
