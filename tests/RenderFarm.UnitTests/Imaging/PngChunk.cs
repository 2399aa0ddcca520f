using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.UnitTests.Imaging;

/// <summary>A PNG chunk as the tests see it, parsed independently of the production reader.</summary>
internal sealed record PngChunk(string Type, byte[] Data, uint Crc)
{
    public static List<PngChunk> ParseAll(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<PngChunk>();
        var position = 8;
        while (position < png.Length)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position)));
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            chunks.Add(new PngChunk(type, data, crc));
            position += 12 + length;
        }

        Assert.Equal(png.Length, position);
        return chunks;
    }
}
