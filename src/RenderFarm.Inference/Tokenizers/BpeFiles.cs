using System.Text.Json.Nodes;

namespace RenderFarm.Inference.Tokenizers;

/// <summary>A BPE vocabulary and merge list read from a tokenizer folder: <c>vocab.json</c> + <c>merges.txt</c> or a <c>tokenizer.json</c>.</summary>
internal sealed record BpeFiles(Dictionary<string, int> Vocabulary, List<string> Merges, Dictionary<string, int> AddedTokens, JsonObject? TokenizerConfig)
{
    public static BpeFiles Load(string folder)
    {
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        var config = ReadObject(Path.Combine(folder, "tokenizer_config.json"));
        if (File.Exists(vocabPath) && File.Exists(mergesPath))
        {
            var vocab = ReadObject(vocabPath)!.ToDictionary(kv => kv.Key, kv => (int)kv.Value!, StringComparer.Ordinal);
            var merges = File.ReadLines(mergesPath).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).ToList();
            return new BpeFiles(vocab, merges, [], config);
        }

        if (File.Exists(tokenizerJson))
        {
            var root = ReadObject(tokenizerJson)!;
            var model = root["model"] as JsonObject ?? throw new InvalidDataException($"{tokenizerJson}: no 'model' object.");
            if ((string?)model["type"] is { } type && type != "BPE")
            {
                throw new InvalidDataException($"{tokenizerJson}: model type '{type}' is not BPE.");
            }

            var vocab = (model["vocab"] as JsonObject ?? throw new InvalidDataException($"{tokenizerJson}: no model.vocab."))
                .ToDictionary(kv => kv.Key, kv => (int)kv.Value!, StringComparer.Ordinal);
            // Newer tokenizers files store merges as ["a", "b"] pairs, older ones as "a b" strings.
            var merges = (model["merges"] as JsonArray ?? [])
                .Select(m => m is JsonArray pair ? $"{(string?)pair[0]} {(string?)pair[1]}" : (string)m!)
                .ToList();
            var added = (root["added_tokens"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .ToDictionary(t => (string)t["content"]!, t => (int)t["id"]!, StringComparer.Ordinal);
            return new BpeFiles(vocab, merges, added, config);
        }

        throw new FileNotFoundException($"Tokenizer not found: {folder} needs vocab.json + merges.txt or tokenizer.json.", vocabPath);
    }

    /// <summary>A special token from tokenizer_config.json, written either as a string or as an AddedToken object.</summary>
    public string? ConfigToken(string key) => TokenizerConfig?[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => (string?)o["content"],
        _ => null,
    };

    public int? ConfigInt(string key) => TokenizerConfig?[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)Math.Min(d, int.MaxValue) : null;

    private static JsonObject? ReadObject(string path) =>
        File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
}
