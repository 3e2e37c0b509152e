import type { ExportFile, ExportSource } from "../../model/exportSource.js";

export async function readAll(file: ExportFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await file.open()) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export async function listPaths(source: ExportSource): Promise<string[]> {
  const out: string[] = [];
  for await (const file of source.files()) out.push(file.path);
  return out;
}
