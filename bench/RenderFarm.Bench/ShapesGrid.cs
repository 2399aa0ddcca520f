using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Inference;

/// <summary>
/// <c>dotnet run -c Release --project bench/RenderFarm.Bench -- grid [model folder] [out.png] [steps] [guidance]</c>:
/// renders a grid of tiny-shapes prompts through the engine (rows: colours and backgrounds; columns: shape, size and
/// position) and writes it as one PNG, printing the prompts row by row.
/// </summary>
internal static class ShapesGrid
{
    private const int Cell = 128;
    private const int Gap = 4;

    public static async Task RunAsync(string root, string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(root, "models", "tiny-shapes");
        var output = args.Length > 1 ? args[1] : Path.Combine(root, "docs", "tiny-shapes-grid.png");
        var steps = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
        var guidance = args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));

        string[] colours = ["red", "green", "blue", "yellow", "purple"];
        string[] backgrounds = ["white", "black", "gray", "white", "black"];
        (string Shape, string Size, string Position)[] columns =
        [
            ("circle", "large", "left"), ("square", "small", "right"), ("triangle", "large", "top"),
            ("circle", "small", "bottom"), ("square", "large", "centre"), ("triangle", "small", "centre"),
        ];
        var phrases = new Dictionary<string, string>
        {
            ["left"] = "on the left", ["right"] = "on the right", ["top"] = "at the top", ["bottom"] = "at the bottom", ["centre"] = "in the centre",
        };

        using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = name, Path = folder }],
        }));
        var prompts = new List<string>();
        for (var r = 0; r < colours.Length; r++)
        {
            foreach (var c in columns)
            {
                prompts.Add($"a {c.Size} {colours[r]} {c.Shape} {phrases[c.Position]} of a {backgrounds[r]} background");
            }
        }

        var batch = new GenerationBatch(name, Cell, Cell, steps, guidance,
            [.. prompts.Select((p, i) => new GenerationItem(p, "", 1 + i))]);
        var result = await generator.GenerateAsync(batch, null, CancellationToken.None);

        int cols = columns.Length, rows = colours.Length;
        int width = (cols * Cell) + ((cols + 1) * Gap), height = (rows * Cell) + ((rows + 1) * Gap);
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
        for (var i = 0; i < prompts.Count; i++)
        {
            int x0 = Gap + ((i % cols) * (Cell + Gap)), y0 = Gap + ((i / cols) * (Cell + Gap));
            var image = result.Images[i];
            for (var y = 0; y < Cell; y++)
            {
                Array.Copy(image.Rgb, y * Cell * 3, rgb, (((y0 + y) * width) + x0) * 3, Cell * 3);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllBytesAsync(output, Png(width, height, rgb));
        Console.WriteLine($"{output}: {name}, {rows}x{cols} images of {Cell}x{Cell}, {steps} steps, guidance {guidance}, seeds 1..{prompts.Count} (row-major)");
        for (var r = 0; r < rows; r++)
        {
            Console.WriteLine($"row {r + 1}: " + string.Join(" | ", prompts.Skip(r * cols).Take(cols)));
        }
    }

    /// <summary>A minimal 8-bit RGB PNG (one IDAT, filter 0 on every row).</summary>
    private static byte[] Png(int width, int height, byte[] rgb)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0);
                z.Write(rgb, y * width * 3, width * 3);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        s.Write(word);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
