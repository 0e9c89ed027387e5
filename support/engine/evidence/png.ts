import { Resvg } from '@resvg/resvg-js';

/**
 * SVG → PNG with resvg (a Rust renderer shipped as a prebuilt Node addon): no
 * browser and no canvas, so charts become images that video encoders, chat
 * tools and PDF writers accept, on machines without a display.
 */

export interface SvgToPngOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  width?: number;
  /** Any CSS colour. Default white: vega's SVG and our frames assume a light page, and PNG would otherwise be transparent. */
  background?: string;
}

/**
 * Renders an SVG to a PNG. resvg draws no text at all without fonts, and with
 * system fonts but no default it falls back to whichever font it lists first
 * (on these machines possibly an icon font), so the generic families vega and
 * our frames use map to DejaVu explicitly.
 */
export function svgToPng(svg: string | Buffer, opts: SvgToPngOptions = {}): Buffer {
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width > 0)) {
    throw new RangeError(`svgToPng: width must be a positive integer, got ${opts.width}`);
  }
  const resvg = new Resvg(svg, {
    background: opts.background ?? 'white',
    fitTo: opts.width ? { mode: 'width', value: opts.width } : { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans', monospaceFamily: 'DejaVu Sans Mono' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
