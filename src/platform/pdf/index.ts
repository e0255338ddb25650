// Chinese PDF documents (docs/pdf.md). Named exports only.
export {
  type PdfAlign,
  type PdfBlock,
  type PdfDocumentSpec,
  type PdfSignature,
  type PdfTableColumn,
  formatDocumentDate,
  renderPdf,
} from './render-pdf.ts';
export { cjkFont, woffToSfnt } from './cjk-font.ts';
export { extractPdfText } from './pdf-text.ts';
