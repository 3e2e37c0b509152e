import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { printApiSchema } from "../../api/schema.js";

const schemaFile = (file?: string) => resolve(file ?? "schema.graphql");

export function registerSchemaCommands(program: Command): void {
  const schema = program.command("schema").description("the GraphQL schema file emitted from the code");
  schema
    .command("emit")
    .description("write schema.graphql from the resolvers")
    .option("-o, --out <file>", "where to write", "schema.graphql")
    .action(async (options: { out: string }) => {
      await writeFile(schemaFile(options.out), await printApiSchema());
      console.log(`wrote ${options.out}`);
    });
  schema
    .command("check")
    .description("fail when schema.graphql differs from what the code emits")
    .option("-f, --file <file>", "the committed schema", "schema.graphql")
    .action(async (options: { file: string }) => {
      const committed = await readFile(schemaFile(options.file), "utf8").catch(() => "");
      if (committed !== (await printApiSchema())) {
        console.error(
          `${options.file} is out of date with the code: run \`npm run schema:emit\` and commit it.`,
        );
        process.exitCode = 1;
        return;
      }
      console.log(`${options.file} matches the code`);
    });
}
