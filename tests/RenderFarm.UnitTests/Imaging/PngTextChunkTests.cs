using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;
using SkiaSharp;

namespace RenderFarm.UnitTests.Imaging;

public sealed class PngTextChunkTests
{
    private static List<PngChunk> EncodeAndParse(string prompt) =>
        PngChunk.ParseAll(ImageTestData.Encoder().Encode(ImageTestData.Gradient(), ImageFormat.Png, ImageTestData.Parameters(prompt)));

    [Theory]
    [InlineData("café at dawn")]
    [InlineData("灯台 at dawn ✨")]
    public void Every_chunk_crc_is_correct(string prompt)
    {
        foreach (var chunk in EncodeAndParse(prompt))
        {
            var typeAndData = Encoding.ASCII.GetBytes(chunk.Type).Concat(chunk.Data).ToArray();
            Assert.True(Crc32.HashToUInt32(typeAndData) == chunk.Crc, $"CRC of {chunk.Type} is wrong");
        }
    }

    [Theory]
    [InlineData("café at dawn")]
    [InlineData("灯台 at dawn ✨")]
    public void Chunk_order_is_valid_with_the_text_right_after_IHDR(string prompt)
    {
        var types = EncodeAndParse(prompt).Select(c => c.Type).ToList();

        Assert.Equal("IHDR", types[0]);
        Assert.Single(types, t => t == "IHDR");
        Assert.Contains(types[1], (string[])["tEXt", "iTXt"]);
        Assert.Equal("IEND", types[^1]);
        Assert.Single(types, t => t == "IEND");

        // IDAT chunks must be consecutive.
        var firstData = types.IndexOf("IDAT");
        var lastData = types.LastIndexOf("IDAT");
        Assert.True(firstData > 1);
        Assert.All(types[firstData..(lastData + 1)], t => Assert.Equal("IDAT", t));
    }

    [Fact]
    public void Header_describes_an_opaque_8_bit_rgb_image()
    {
        var header = EncodeAndParse("p")[0].Data;

        Assert.Equal(ImageTestData.Width, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(ImageTestData.Height, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(8, header[8]);
        Assert.Equal(2, header[9]);
    }

    [Fact]
    public void Latin1_text_goes_into_a_tEXt_chunk()
    {
        var parameters = ImageTestData.Parameters("café at dawn");

        var chunk = Assert.Single(EncodeAndParse("café at dawn"), c => c.Type is "tEXt" or "iTXt");

        Assert.Equal("tEXt", chunk.Type);
        Assert.Equal("parameters\0" + parameters.ToText(), Encoding.Latin1.GetString(chunk.Data));
    }

    [Fact]
    public void Other_text_goes_into_an_uncompressed_utf8_iTXt_chunk()
    {
        var parameters = ImageTestData.Parameters("灯台 at dawn ✨");

        var chunk = Assert.Single(EncodeAndParse("灯台 at dawn ✨"), c => c.Type is "tEXt" or "iTXt");

        Assert.Equal("iTXt", chunk.Type);

        // Keyword, NUL, compression flag 0, method 0, empty language tag, empty translated keyword, text.
        Assert.Equal([.. "parameters\0\0\0\0\0"u8, .. Encoding.UTF8.GetBytes(parameters.ToText())], chunk.Data);
    }

    [Fact]
    public void Reader_finds_compressed_iTXt_and_zTXt_written_by_other_tools()
    {
        var plain = ImageTestData.PlainSkia(ImageTestData.Gradient(), p => p.Encode(SKPngEncoderOptions.Default));
        var text = "a lighthouse ✨\nSteps: 8";

        var iTxt = WithChunk(plain, "iTXt", [.. "parameters\0\u0001\0en\0\0"u8, .. Deflate(Encoding.UTF8.GetBytes(text))]);
        var zTxt = WithChunk(plain, "zTXt", [.. "parameters\0\0"u8, .. Deflate(Encoding.Latin1.GetBytes("café"))]);

        Assert.Equal(text, ImageMetadataReader.ReadParameters(iTxt));
        Assert.Equal("café", ImageMetadataReader.ReadParameters(zTxt));
        Assert.Null(ImageMetadataReader.ReadParameters(plain));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" parameters")]
    [InlineData("tab\tkey")]
    public void Invalid_keywords_are_rejected(string keyword)
    {
        var plain = ImageTestData.PlainSkia(ImageTestData.Gradient(4, 4), p => p.Encode(SKPngEncoderOptions.Default));

        Assert.Throws<ArgumentException>(() => PngTextChunkWriter.Insert(plain, keyword, "text"));
    }

    [Fact]
    public void Non_png_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PngTextChunkWriter.Insert("GIF89a"u8, "parameters", "text"));
    }

    private static byte[] WithChunk(byte[] png, string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));

        // After IHDR (8-byte signature + 25-byte IHDR chunk).
        return [.. png[..33], .. chunk, .. png[33..]];
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
