using Workflow.ImageGenerator.Imaging;

namespace Workflow.ImageGenerator.Tests;

public sealed class When_an_image_is_encoded_as_png
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 64)]
    [InlineData(37, 5)]
    [InlineData(300, 211)]
    public void A_standard_decoder_reads_back_every_pixel(int width, int height)
    {
        var image = RgbImage.Blank(width, height);
        new Random(width * 31 + height).NextBytes(image.Pixels);

        var decoded = Png.Decode(Png.Encode(image));

        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void The_file_is_a_png_with_its_size_in_the_header()
    {
        var png = Png.Encode(RgbImage.Blank(640, 480));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(480, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
    }
}
