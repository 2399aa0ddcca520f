using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Core.Generation;

namespace RenderFarm.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>Registers the ONNX Runtime engine as the process's <see cref="IImageGenerator"/>, bound to section <c>Inference</c>.</summary>
    public static IServiceCollection AddOnnxInference(this IServiceCollection services)
    {
        services.AddOptions<InferenceOptions>()
            .BindConfiguration(InferenceOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Models.Count > 0 || !string.IsNullOrWhiteSpace(o.ModelsRoot), "Configure Inference:ModelsRoot (a folder of model folders) or at least one model under Inference:Models.")
            .Validate(o => o.Models.TrueForAll(m => ValidModel(m)), "Every Inference:Models entry needs a valid Name and Path.")
            .Validate(o => o.Models.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() == o.Models.Count, "Inference:Models names must be unique.")
            .ValidateOnStart();
        services.AddSingleton<OnnxImageGenerator>();
        services.AddSingleton<IImageGenerator>(sp => sp.GetRequiredService<OnnxImageGenerator>());
        return services;
    }

    // DataAnnotations validation does not recurse into list items, so each model entry is checked here.
    private static bool ValidModel(InferenceModelOptions model) =>
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(model, new(model), null, validateAllProperties: true);
}
