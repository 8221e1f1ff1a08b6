import QRCode from "qrcode";

/** A QR code of `text` as an SVG data URI, rendered on the server (no network, no script in the image). */
export async function qrDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
