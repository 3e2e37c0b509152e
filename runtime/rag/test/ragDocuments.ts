/** A small folder of the person's documents in Russian and English (md, txt, pdf) for the RAG plugins' tests. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { minimalPdf } from "./minimalPdf.js";

export const SAMPLE_FILES = ["travel.txt", "договор.pdf", "заметки/кошки.md", "рецепты/борщ.md"];

export async function writeSampleDocuments(dir: string): Promise<void> {
  await mkdir(join(dir, "рецепты"), { recursive: true });
  await mkdir(join(dir, "заметки"), { recursive: true });
  await mkdir(join(dir, ".trash"), { recursive: true });
  await writeFile(
    join(dir, "рецепты", "борщ.md"),
    "# Борщ\n\nСвёкла, капуста, картофель и морковь. Варить два часа на медленном огне.\n\n" +
      "# Подача\n\nПодавать со сметаной и чесночными пампушками.\n",
  );
  await writeFile(
    join(dir, "travel.txt"),
    "Trip to Lisbon in May. We rode the old yellow trams and ate pastel de nata every morning.\n\n" +
      "The ocean was cold, the hills were steep.",
  );
  await writeFile(
    join(dir, "заметки", "кошки.md"),
    "# Кошки\n\nМурка любит рыбу и спит на подоконнике.\n\n## Ветеринар\n\nПрививка от бешенства каждый год в марте.\n",
  );
  await writeFile(
    join(dir, "договор.pdf"),
    minimalPdf([
      ["Договор аренды квартиры на улице Ленина.", "Арендодатель: Петров."],
      ["Арендная плата составляет 40000 рублей в месяц.", "Оплата до пятого числа."],
    ]),
  );
  await writeFile(join(dir, ".trash", "old.md"), "Мурка удалённая заметка");
}
