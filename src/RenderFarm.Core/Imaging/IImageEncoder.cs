using RenderFarm.Core.Generation;

namespace RenderFarm.Core.Imaging;

/// <summary>Encodes a rendered image with its generation parameters embedded.</summary>
public interface IImageEncoder
{
    byte[] Encode(GeneratedImage image, ImageFormat format, GenerationParameters parameters);
}
