using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Tests.Tokenizers;

/// <summary>
/// Expected ids come from tools/make-test-models/qwen_reference.py, a separate Python byte-level BPE (split on
/// special tokens, tokenizer.json's pre-tokenizer regex via the <c>regex</c> module, merges by rank) over the
/// chat-templated prompt: <c>/usr/bin/python3 qwen_reference.py tests/fixtures/models/tiny-zimage/tokenizer</c>.
/// </summary>
public sealed class QwenTokenizerTests
{
    private readonly QwenTokenizer _tokenizer = QwenTokenizer.Load(Path.Combine(TestModels.Fixture("tiny-zimage"), "tokenizer"));

    [Theory]
    [InlineData("A cat, the thing", new[] { 262, 84, 82, 68, 81, 198, 32, 258, 11, 260, 68, 260, 72, 77, 70, 263, 198, 262, 64, 82, 82, 72, 82, 83, 64, 77, 83, 198 })]
    [InlineData("çat 12", new[] { 262, 84, 82, 68, 81, 198, 127, 100, 64, 83, 220, 16, 17, 263, 198, 262, 64, 82, 82, 72, 82, 83, 64, 77, 83, 198 })]
    public void Encodes_the_chat_template_like_the_reference_bpe(string prompt, int[] expected)
    {
        Assert.Equal(expected, _tokenizer.Encode(prompt, 512));
    }

    [Fact]
    public void Truncates_to_the_maximum_sequence_length()
    {
        Assert.Equal(10, _tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 50)), 10).Count);
    }

    [Fact]
    public void Pads_with_the_configured_pad_token()
    {
        // tokenizer_config.json: pad_token <|endoftext|>, the first added token after the 256 bytes and 5 merges.
        Assert.Equal(261, _tokenizer.PadId);
    }
}
