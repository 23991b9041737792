using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using StbImageSharp;

namespace Workflow.ImageGenerator.Imaging;

/// <summary>PNG encoding and decoding, and the box-filter downscale behind thumbnails.</summary>
public static class Png
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// An 8-bit RGB PNG: every row "Sub"-filtered (each byte less its left neighbour, which suits rendered gradients)
    /// and deflated by the runtime's native zlib at its fastest level. Encoding was most of a small job's rendering
    /// cost with a managed deflate that tried every filter on every row; the files come out slightly larger.
    /// </summary>
    public static byte[] Encode(RgbImage image)
    {
        var stride = image.Width * 3;
        using var idat = new MemoryStream((stride + 1) * image.Height / 2 + 64);
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[stride + 1];
            row[0] = 1;
            for (var y = 0; y < image.Height; y++)
            {
                var pixels = image.Pixels.AsSpan(y * stride, stride);
                pixels[..3].CopyTo(row.AsSpan(1));
                for (var i = 3; i < stride; i++)
                {
                    row[i + 1] = (byte)(pixels[i] - pixels[i - 3]);
                }

                zlib.Write(row);
            }
        }

        using var png = new MemoryStream((int)idat.Length + 64);
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc.GetCurrentHashAsUInt32());
        png.Write(number);
    }

    public static RgbImage Decode(byte[] png)
    {
        var result = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        return new RgbImage(result.Width, result.Height, result.Data);
    }

    /// <summary>Decodes any image StbImage reads (PNG, JPEG, …) and re-encodes it as a PNG of exactly the given size.</summary>
    public static byte[] Normalize(byte[] image, int width, int height)
    {
        var decoded = Decode(image);
        return Encode(decoded.Width == width && decoded.Height == height ? decoded : Resize(decoded, width, height));
    }

    /// <summary>Bilinear resampling to an exact size (a provider may only offer some sizes).</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        var target = RgbImage.Blank(width, height);
        for (var y = 0; y < height; y++)
        {
            var sy = Math.Clamp(((y + 0.5) * source.Height / height) - 0.5, 0, source.Height - 1);
            var y0 = (int)sy;
            var y1 = Math.Min(y0 + 1, source.Height - 1);
            var fy = sy - y0;
            for (var x = 0; x < width; x++)
            {
                var sx = Math.Clamp(((x + 0.5) * source.Width / width) - 0.5, 0, source.Width - 1);
                var x0 = (int)sx;
                var x1 = Math.Min(x0 + 1, source.Width - 1);
                var fx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    double At(int px, int py) => source.Pixels[(((py * source.Width) + px) * 3) + c];
                    var top = (At(x0, y0) * (1 - fx)) + (At(x1, y0) * fx);
                    var bottom = (At(x0, y1) * (1 - fx)) + (At(x1, y1) * fx);
                    target.Pixels[(((y * width) + x) * 3) + c] = (byte)Math.Round((top * (1 - fy)) + (bottom * fy));
                }
            }
        }

        return target;
    }

    /// <summary>Shrinks the image to fit <paramref name="maxSide"/> on its longer side, averaging each source block.</summary>
    public static RgbImage Fit(RgbImage source, int maxSide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(source.Width, source.Height));
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        var target = RgbImage.Blank(width, height);
        for (var y = 0; y < height; y++)
        {
            var y0 = y * source.Height / height;
            var y1 = Math.Max(y0 + 1, (y + 1) * source.Height / height);
            for (var x = 0; x < width; x++)
            {
                var x0 = x * source.Width / width;
                var x1 = Math.Max(x0 + 1, (x + 1) * source.Width / width);
                int r = 0, g = 0, b = 0;
                for (var sy = y0; sy < y1; sy++)
                {
                    for (var sx = x0; sx < x1; sx++)
                    {
                        var i = ((sy * source.Width) + sx) * 3;
                        r += source.Pixels[i];
                        g += source.Pixels[i + 1];
                        b += source.Pixels[i + 2];
                    }
                }

                var n = (y1 - y0) * (x1 - x0);
                var t = ((y * width) + x) * 3;
                target.Pixels[t] = (byte)(r / n);
                target.Pixels[t + 1] = (byte)(g / n);
                target.Pixels[t + 2] = (byte)(b / n);
            }
        }

        return target;
    }
}
