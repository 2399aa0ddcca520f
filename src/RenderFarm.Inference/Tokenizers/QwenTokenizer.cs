using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace RenderFarm.Inference.Tokenizers;

/// <summary>
/// Qwen's byte-level BPE (from tokenizer.json) with the chat template ZImagePipeline applies: one user turn and
/// the assistant header (<c>enable_thinking=True</c> adds no empty think block in the Qwen3 template).
/// </summary>
internal sealed partial class QwenTokenizer
{
    private readonly BpeTokenizer _bpe;

    private QwenTokenizer(BpeTokenizer bpe, int padId)
    {
        _bpe = bpe;
        PadId = padId;
    }

    public int PadId { get; }

    public static QwenTokenizer Load(string folder)
    {
        var files = BpeFiles.Load(folder);
        var options = new BpeOptions(files.Vocabulary)
        {
            Merges = files.Merges,
            ByteLevel = true,
            SpecialTokens = files.AddedTokens,
            PreTokenizer = new RegexPreTokenizer(QwenPattern(), files.AddedTokens),
        };
        var padToken = files.ConfigToken("pad_token") ?? "<|endoftext|>";
        var padId = files.AddedTokens.TryGetValue(padToken, out var id) || files.Vocabulary.TryGetValue(padToken, out id)
            ? id
            : throw new InvalidDataException($"{folder}: pad token '{padToken}' is not in the vocabulary.");
        return new QwenTokenizer(BpeTokenizer.Create(options), padId);
    }

    public static string ApplyChatTemplate(string prompt) => $"<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n";

    public IReadOnlyList<int> Encode(string prompt, int maxLength)
    {
        var ids = _bpe.EncodeToIds(ApplyChatTemplate(prompt), considerPreTokenization: true, considerNormalization: false);
        return ids.Count > maxLength ? [.. ids.Take(maxLength)] : ids;
    }

    [GeneratedRegex(@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    private static partial Regex QwenPattern();
}
