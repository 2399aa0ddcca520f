using System.ComponentModel.DataAnnotations;
using RenderFarm.Infrastructure.Imaging;

namespace RenderFarm.UnitTests.Imaging;

public sealed class ImageEncodingOptionsTests
{
    private static bool IsValid(ImageEncodingOptions options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true);

    [Fact]
    public void Defaults_are_valid()
    {
        var options = new ImageEncodingOptions();

        Assert.Equal(92, options.JpegQuality);
        Assert.Equal(90, options.WebpQuality);
        Assert.True(IsValid(options));
        Assert.Equal("Encoding", ImageEncodingOptions.SectionName);
    }

    [Theory]
    [InlineData(0, 90)]
    [InlineData(101, 90)]
    [InlineData(92, 0)]
    [InlineData(92, 101)]
    public void Out_of_range_qualities_are_invalid(int jpeg, int webp)
    {
        Assert.False(IsValid(new ImageEncodingOptions { JpegQuality = jpeg, WebpQuality = webp }));
    }
}
