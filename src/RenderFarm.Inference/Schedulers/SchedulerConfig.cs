using System.Text.Json.Nodes;

namespace RenderFarm.Inference.Schedulers;

/// <summary>The fields of a diffusers <c>scheduler_config.json</c> that the samplers here honour.</summary>
internal sealed record SchedulerConfig
{
    public string ClassName { get; init; } = "EulerDiscreteScheduler";
    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.0001;
    public double BetaEnd { get; init; } = 0.02;
    public string BetaSchedule { get; init; } = "linear";
    public string PredictionType { get; init; } = "epsilon";

    /// <summary>Null means the scheduler class's own default (as in diffusers, they differ).</summary>
    public string? TimestepSpacing { get; init; }
    public int StepsOffset { get; init; }
    public bool UseKarrasSigmas { get; init; }
    public string InterpolationType { get; init; } = "linear";
    public string FinalSigmasType { get; init; } = "zero";

    // DPM-Solver
    public int SolverOrder { get; init; } = 2;
    public bool LowerOrderFinal { get; init; } = true;
    public bool EulerAtFinal { get; init; }
    public string AlgorithmType { get; init; } = "dpmsolver++";

    // LCM
    public int OriginalInferenceSteps { get; init; } = 50;
    public double TimestepScaling { get; init; } = 10.0;
    public bool SetAlphaToOne { get; init; } = true;

    // Flow matching
    public double Shift { get; init; } = 1.0;
    public bool UseDynamicShifting { get; init; }
    public double BaseShift { get; init; } = 0.5;
    public double MaxShift { get; init; } = 1.15;
    public int BaseImageSeqLen { get; init; } = 256;
    public int MaxImageSeqLen { get; init; } = 4096;

    public static SchedulerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Scheduler config not found: {path}", path);
        }

        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path}: expected a JSON object.");
        return Parse(json);
    }

    public static SchedulerConfig Parse(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var d = new SchedulerConfig();
        return new SchedulerConfig
        {
            ClassName = Str(json, "_class_name") ?? d.ClassName,
            NumTrainTimesteps = Int(json, "num_train_timesteps") ?? d.NumTrainTimesteps,
            BetaStart = Num(json, "beta_start") ?? d.BetaStart,
            BetaEnd = Num(json, "beta_end") ?? d.BetaEnd,
            BetaSchedule = Str(json, "beta_schedule") ?? d.BetaSchedule,
            PredictionType = Str(json, "prediction_type") ?? d.PredictionType,
            TimestepSpacing = Str(json, "timestep_spacing"),
            StepsOffset = Int(json, "steps_offset") ?? d.StepsOffset,
            UseKarrasSigmas = Bool(json, "use_karras_sigmas") ?? d.UseKarrasSigmas,
            InterpolationType = Str(json, "interpolation_type") ?? d.InterpolationType,
            FinalSigmasType = Str(json, "final_sigmas_type") ?? d.FinalSigmasType,
            SolverOrder = Int(json, "solver_order") ?? d.SolverOrder,
            LowerOrderFinal = Bool(json, "lower_order_final") ?? d.LowerOrderFinal,
            EulerAtFinal = Bool(json, "euler_at_final") ?? d.EulerAtFinal,
            AlgorithmType = Str(json, "algorithm_type") ?? d.AlgorithmType,
            OriginalInferenceSteps = Int(json, "original_inference_steps") ?? d.OriginalInferenceSteps,
            TimestepScaling = Num(json, "timestep_scaling") ?? d.TimestepScaling,
            SetAlphaToOne = Bool(json, "set_alpha_to_one") ?? d.SetAlphaToOne,
            Shift = Num(json, "shift") ?? d.Shift,
            UseDynamicShifting = Bool(json, "use_dynamic_shifting") ?? d.UseDynamicShifting,
            BaseShift = Num(json, "base_shift") ?? d.BaseShift,
            MaxShift = Num(json, "max_shift") ?? d.MaxShift,
            BaseImageSeqLen = Int(json, "base_image_seq_len") ?? d.BaseImageSeqLen,
            MaxImageSeqLen = Int(json, "max_image_seq_len") ?? d.MaxImageSeqLen,
        };
    }

    // JSON null (common in exported configs) means "class default", as it does for diffusers.
    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static double? Num(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<double>(out var x) ? x : null;

    private static int? Int(JsonObject o, string key) => Num(o, key) is { } x ? (int)x : null;

    private static bool? Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
}
