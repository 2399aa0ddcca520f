namespace RenderFarm.Inference.Tests.Export;

/// <summary>
/// tools/export-onnx/export_sd.py hands SD/SDXL checkpoints to Optimum's exporter; where that is not installed (as on
/// this machine) it says how to install it and writes nothing, and it sends Z-Image checkpoints to export_zimage.py.
/// </summary>
public sealed class SdExportTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "renderfarm-tests", $"sd-export-{Guid.NewGuid():N}");

    [TorchFact]
    public void Without_optimum_it_says_how_to_install_it_and_writes_nothing()
    {
        var checkpoint = Checkpoint("StableDiffusionXLPipeline");
        var emptyPath = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var output = Path.Combine(_root, "out");

        var error = DebianPython.RunFailingOnPath(emptyPath, DebianPython.Tool("export_sd.py"), checkpoint, output);

        Assert.Contains("optimum-cli not found", error);
        Assert.Contains("pip install \"optimum[exporters]\" diffusers", error);
        Assert.False(Directory.Exists(output));
    }

    [TorchFact]
    public void A_z_image_checkpoint_is_sent_to_the_z_image_exporter()
    {
        var error = DebianPython.RunFailing(DebianPython.Tool("export_sd.py"), Checkpoint("ZImagePipeline"), Path.Combine(_root, "out"));

        Assert.Contains("pipeline class 'ZImagePipeline' is not one Optimum exports for the engine (use export_zimage.py)", error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Checkpoint(string pipelineClass)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "checkpoint")).FullName;
        File.WriteAllText(Path.Combine(folder, "model_index.json"), $$"""{"_class_name": "{{pipelineClass}}"}""");
        return folder;
    }
}
