using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Tests.Tokenizers;

/// <summary>
/// Expected ids come from a separate Python implementation of CLIP's BPE (after openai/CLIP simple_tokenizer.py:
/// whitespace collapse, lower case, CLIP's split regex, bytes_to_unicode, merge by rank with "&lt;/w&gt;" on the last
/// symbol) run on the fixture's vocab.json/merges.txt: <c>/usr/bin/python3 clip_ref.py tests/fixtures/models/tiny-sd/tokenizer</c>.
/// </summary>
public sealed class ClipTokenizerTests
{
    private readonly ClipTokenizer _tokenizer = ClipTokenizer.Load(Path.Combine(TestModels.Fixture("tiny-sd"), "tokenizer"));

    [Theory]
    [InlineData("A red  cat, the BLUE dog's 42!", new long[] { 525, 320, 517, 513, 267, 520, 524, 515, 6, 338, 275, 273, 256, 526 })]
    [InlineData("", new long[] { 525, 526 })]
    [InlineData("catcat", new long[] { 525, 512, 83, 513, 526 })]
    public void Encodes_like_the_reference_clip_bpe(string text, long[] expected)
    {
        var ids = _tokenizer.Encode(text);

        Assert.Equal(77, ids.Length);
        Assert.Equal(expected, ids[..expected.Length]);
        // SD 1.x pads with the EOS token.
        Assert.All(ids[expected.Length..], id => Assert.Equal(526, id));
    }

    [Fact]
    public void Truncates_to_the_window_keeping_bos_and_eos()
    {
        var ids = _tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 200)));

        Assert.Equal(525, ids[0]);
        Assert.All(ids[1..76], id => Assert.Equal(513, id));
        Assert.Equal(526, ids[76]);
    }
}
