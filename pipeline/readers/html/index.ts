export { detectCharset } from "./charset.js";
export { classesOf, type HtmlCharset, type HtmlHandler, streamHtml } from "./htmlStream.js";
export { TextCapture, TextCaptures } from "./textCapture.js";
