using RenderFarm.Core.Imaging;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Core.Workers;

namespace RenderFarm.UnitTests.Jobs;

public sealed class JobRequestValidatorTests
{
    // One model advertised by a worker, the other only configured: the validator sees one catalog either way.
    private static readonly ModelCatalog Models = ModelCatalog.Build(
        new ModelCatalogOptions
        {
            Default = "sd-turbo",
            Available =
            [
                new ModelOverride
                {
                    Name = "z-image-turbo", SizeMultiple = 16, DefaultWidth = 1024, DefaultHeight = 1024, DefaultSteps = 8, MaxSize = 2048,
                    Aliases = ["zit"], RequireLabels = ["cuda"],
                },
            ],
        },
        [
            new WorkerRecord
            {
                Id = "w1",
                Models = ["sd-turbo"],
                Catalog = [GenericModel.Advertise("sd-turbo") with { SizeMultiple = 8, DefaultWidth = 512, DefaultHeight = 512, DefaultSteps = 4, DefaultGuidance = 0 }],
                LastSeen = DateTimeOffset.UnixEpoch,
            },
        ],
        DateTimeOffset.UnixEpoch);

    private static readonly JobLimitsOptions Limits = new() { MaxImagesPerJob = 100, MaxPromptLength = 50, MaxSteps = 50, MaxGuidance = 20, MaxCountPerPrompt = 60 };

    private static (JobSpec? Spec, Dictionary<string, string[]> Errors) Validate(JobRequest request)
    {
        var spec = new JobRequestValidator(Models, Limits).Validate(request, out var errors);
        return (spec, errors);
    }

    [Fact]
    public void Omitted_parameters_take_the_default_model_defaults()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse at dawn"] });

        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Equal(("sd-turbo", 512, 512, 4, 0.0, 1), (spec.Model, spec.Width, spec.Height, spec.Steps, spec.Guidance, spec.CountPerPrompt));
        Assert.Equal(JobPriority.Normal, spec.Priority);
        Assert.Equal(ImageFormat.Png, spec.Format);
        Assert.InRange(spec.Seed, 0, Seeds.Max);
    }

    [Fact]
    public void A_valid_request_keeps_its_values()
    {
        var (spec, errors) = Validate(new JobRequest
        {
            Prompts = ["a", "b"], Count = 4, NegativePrompt = "blurry", Model = "z-image-turbo", Width = 1024, Height = 576,
            Steps = 8, Guidance = 0, Seed = 42, Priority = "HIGH", Format = "webp",
        });

        Assert.Empty(errors);
        Assert.Equal(new JobSpec(["a", "b"], 4, "blurry", "z-image-turbo", 1024, 576, 8, 0, 42, JobPriority.High, ImageFormat.Webp) with { Prompts = spec!.Prompts, RequiredLabels = spec.RequiredLabels }, spec);
        Assert.Equal(["cuda"], spec.RequiredLabels); // the model's own requirement
        Assert.Equal(8, spec.ImageCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("torch-cpu")]
    [InlineData("renderfarm")]
    public void Noise_is_kept_as_asked_and_omitted_means_the_models_default(string? noise)
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["x"], Noise = noise });

        Assert.Empty(errors);
        Assert.Equal(noise, spec!.Noise);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("Torch-CPU")]
    [InlineData("")]
    public void An_unknown_noise_is_refused_by_name(string noise)
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["x"], Noise = noise });

        Assert.Null(spec);
        Assert.Equal(["Noise must be one of: torch-cpu, renderfarm."], errors["noise"]);
    }

    [Theory]
    [InlineData("width", 520, 512)]
    [InlineData("height", 512, 1000)]
    public void Sizes_must_be_multiples_of_the_models_step(string field, int width, int height)
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["x"], Model = "z-image-turbo", Width = width, Height = height });

        Assert.Null(spec);
        Assert.Contains("multiple of 16", Assert.Single(errors[field]));
    }

    [Fact]
    public void Every_bad_field_is_named()
    {
        var (spec, errors) = Validate(new JobRequest
        {
            Prompts = ["fine", "  ", new string('x', 51)], Count = 0, NegativePrompt = new string('n', 51), Model = "nope",
            Steps = 51, Guidance = -1, Seed = -5, Priority = "urgent", Format = "gif",
        });

        Assert.Null(spec);
        Assert.Equal(
            ["count", "format", "guidance", "model", "negativePrompt", "priority", "prompts[1]", "prompts[2]", "seed", "steps"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("sd-turbo", errors["model"][0]);
    }

    [Fact]
    public void Missing_prompts_are_rejected()
    {
        Assert.Contains("prompts", Validate(new JobRequest()).Errors.Keys);
        Assert.Contains("prompts", Validate(new JobRequest { Prompts = [] }).Errors.Keys);
    }

    [Fact]
    public void More_images_than_the_per_job_maximum_are_rejected()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a", "b"], Count = 51 });

        Assert.Null(spec);
        Assert.Contains("102 images", Assert.Single(errors["count"]));
    }

    [Theory]
    [InlineData(8, 512, "width")]
    [InlineData(512, 4096, "height")]
    public void Sizes_outside_the_models_range_are_rejected(int width, int height, string field) =>
        Assert.Contains(field, Validate(new JobRequest { Prompts = ["x"], Width = width, Height = height }).Errors.Keys);

    [Fact]
    public void Non_finite_guidance_is_rejected() =>
        Assert.Contains("guidance", Validate(new JobRequest { Prompts = ["x"], Guidance = double.NaN }).Errors.Keys);

    [Fact]
    public void Tabs_and_line_breaks_are_ordinary_prompt_text()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse,\tat dawn\r\nfog"], NegativePrompt = "blurry\n\tgrainy" });

        Assert.Empty(errors);
        Assert.Equal("a lighthouse,\tat dawn\r\nfog", spec!.Prompts[0]);
    }

    [Theory]
    [InlineData("\0", "U+0000")]
    [InlineData("a\u0001", "U+0001")]
    [InlineData("\u001f", "U+001F")]
    [InlineData("x\u001by", "U+001B")]
    public void Other_control_characters_are_refused_naming_the_field_and_the_character(string text, string named)
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["fine", text], NegativePrompt = text });

        Assert.Null(spec);
        Assert.Equal(["negativePrompt", "prompts[1]"], errors.Keys.Order());
        Assert.All(errors.Values, messages => Assert.Contains(named, Assert.Single(messages), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\t\n\r")]
    [InlineData("\u007f \u0080 \u00a0 é 😀")]
    public void Tab_line_breaks_and_everything_above_the_C0_range_pass_the_control_character_rule(string? text) =>
        Assert.Null(ControlCharacters.Check(text));

    [Fact]
    public void An_unknown_model_is_the_only_error_of_a_request_that_sent_nothing_else_wrong()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], Model = "no-such-model" });

        Assert.Null(spec);
        Assert.Equal(["model"], errors.Keys);
        Assert.Contains("Available: z-image-turbo, sd-turbo.", errors["model"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_model_still_reports_what_the_caller_sent_wrong()
    {
        var (_, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], Model = "no-such-model", Steps = 0 });

        Assert.Equal(["model", "steps"], errors.Keys.Order());
    }

    [Fact]
    public void Each_model_gets_its_own_defaults()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], Model = "z-image-turbo" });

        Assert.Empty(errors);
        Assert.Equal((1024, 1024, 8), (spec!.Width, spec.Height, spec.Steps));
    }

    [Theory]
    [InlineData("Studio A")]
    [InlineData("memory>=x")]
    [InlineData("")]
    public void A_malformed_label_requirement_is_named_by_index(string label)
    {
        var (_, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], RequireLabels = ["studio-a", label] });

        Assert.Equal(["requireLabels[1]"], errors.Keys);
    }

    [Fact]
    public void Label_requirements_are_kept_in_one_order()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], RequireLabels = ["studio-a", "memory>=24g", "studio-a"] });

        Assert.Empty(errors);
        Assert.Equal(["memory>=24g", "studio-a"], spec!.RequiredLabels);
    }

    [Fact]
    public void An_alias_names_its_model_and_the_models_labels_join_the_jobs()
    {
        var (spec, errors) = Validate(new JobRequest { Prompts = ["a lighthouse"], Model = "zit", RequireLabels = ["studio-a"] });

        Assert.Empty(errors);
        Assert.Equal(("z-image-turbo", 1024), (spec!.Model, spec.Width));
        Assert.Equal(["cuda", "studio-a"], spec.RequiredLabels);
    }
}
