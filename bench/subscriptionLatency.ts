/**
 * Command-to-subscription latency: N clones, each with an open `cloneUpdated` subscription, updated
 * concurrently by `configurePersona`; measures from sending the mutation to receiving the update.
 * Usage: node dist/bench/subscriptionLatency.js [--clones 100] [--rounds 5]
 */
import { parseArgs } from "node:util";
import { GraphQLTestClient, SubscriptionRecorder } from "../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../testing/platform/platformHarness.js";
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: { clones: { type: "string", default: "100" }, rounds: { type: "string", default: "5" } },
});
const cloneCount = Number(values.clones);
const rounds = Number(values.rounds);

// A benchmark measures the pipeline, not the per-key rate limit that protects it.
const harness = await PlatformHarness.start({ AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "1000000" });
try {
  const api = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  const ids: string[] = [];
  for (let i = 0; i < cloneCount; i++)
    ids.push(
      (await api.data("mutation ($n: String!) { createClone(input: {name: $n}) { id } }", { n: `клон ${i}` }))
        .createClone.id,
    );

  const ws = api.ws();
  const subscriptions = ids.map(
    (id) =>
      new SubscriptionRecorder<any>(ws, "subscription ($id: ID!) { cloneUpdated(id: $id) { revision } }", {
        id,
      }),
  );
  while (harness.platform.services.feed.listenerCount < cloneCount)
    await new Promise((r) => setTimeout(r, 10));

  const toUpdate: number[] = [];
  const mutationRoundTrip: number[] = [];
  const started = performance.now();
  for (let round = 1; round <= rounds; round++) {
    await Promise.all(
      ids.map(async (cloneId, i) => {
        const sent = performance.now();
        await api.data(
          "mutation ($input: ConfigurePersonaInput!) { configurePersona(input: $input) { revision } }",
          {
            input: {
              cloneId,
              displayName: "Маша",
              systemPrompt: `раунд ${round}: пиши коротко`,
              language: "ru",
            },
          },
        );
        mutationRoundTrip.push(performance.now() - sent);
        await subscriptions[i]!.waitFor(round, 30_000);
        toUpdate.push(performance.now() - sent);
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(subscriptions.map((s) => s.close()));
  await ws.dispose();

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `command → cloneUpdated, ${cloneCount} clones updated concurrently, ${rounds} rounds (${toUpdate.length} updates)`,
  );
  console.log(
    `  mutation round trip  p50 ${ms(percentile(mutationRoundTrip, 50))}  p99 ${ms(percentile(mutationRoundTrip, 99))}`,
  );
  console.log(
    `  to subscription      p50 ${ms(percentile(toUpdate, 50))}  p99 ${ms(percentile(toUpdate, 99))}  max ${ms(Math.max(...toUpdate))}`,
  );
  console.log(`  throughput           ${(toUpdate.length / seconds).toFixed(0)} commands/s`);
} finally {
  await harness.destroy();
}
