using System.Text.Json;

namespace RenderFarm.Inference.Tests.Export;

/// <summary>
/// A tiny random-weight Z-Image checkpoint in the official diffusers layout (bf16 safetensors under the real
/// state-dict names), written by make_tiny_zimage.py with what its torch modules compute on fixed inputs, and
/// exported by export_zimage.py: once per test class, on first use (so a skipped class runs no Python).
/// </summary>
public sealed class TinyZImageExport : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "renderfarm-tests", $"zimage-export-{Guid.NewGuid():N}");
    private readonly Lazy<string> _folder;

    public TinyZImageExport()
    {
        _folder = new(Export);
    }

    public string Checkpoint => Path.Combine(_root, "checkpoint");

    /// <summary>The exported model folder.</summary>
    public string Folder => _folder.Value;

    /// <summary>What the torch module of <paramref name="part"/> computed: {"inputs": {name: tensor}, "outputs": {name: tensor}}, a tensor being {"dtype", "shape", "data"}.</summary>
    public JsonElement Reference(string part)
    {
        _ = Folder;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "reference.json")));
        return json.RootElement.GetProperty(part).Clone();
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Export()
    {
        DebianPython.Run(DebianPython.Tool("make_tiny_zimage.py"), Checkpoint, Path.Combine(_root, "reference.json"));
        var folder = Path.Combine(_root, "tiny-zimage-export");
        DebianPython.Run(DebianPython.Tool("export_zimage.py"), Checkpoint, folder);
        return folder;
    }
}
