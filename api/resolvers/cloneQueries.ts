import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { type ApiContext, requirePrincipal } from "../context.js";
import {
  BaseModel,
  BaseModelUntrainableReason,
  Clone,
  CloneConnection,
  CloneEvent,
  TrainingRun,
} from "../types/cloneTypes.js";
import { toClone, toCloneEvent, toTrainingRun } from "../types/mappers.js";

@Resolver()
export class CloneQueries {
  @Query(() => Clone, { nullable: true, description: "One of your clones; null when it does not exist." })
  async clone(@Arg("id", () => ID) id: string, @Ctx() context: ApiContext): Promise<Clone | null> {
    const view = await context.services.clones.get(requirePrincipal(context), id);
    return view ? toClone(view) : null;
  }

  @Query(() => CloneConnection, { description: "Your clones, newest first." })
  async clones(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "1–100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." })
    after: string | null,
    @Ctx() context: ApiContext,
  ): Promise<CloneConnection> {
    const page = await context.services.clones.list(requirePrincipal(context), first, after ?? null);
    const nodes = page.nodes.map(toClone);
    return {
      nodes,
      edges: nodes.map((node) => ({ cursor: node.id, node })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.at(-1)?.id ?? null },
      totalCount: page.totalCount,
    };
  }

  @Query(() => TrainingRun, {
    nullable: true,
    description: "A training job by id (the run id of TrainingRequested); null when it is not one of yours.",
  })
  async trainingJob(
    @Arg("id", () => ID) id: string,
    @Ctx() context: ApiContext,
  ): Promise<TrainingRun | null> {
    const view = await context.services.clones.trainingRunClone(requirePrincipal(context), id);
    const run = view?.trainingRuns.find((r) => r.id === id);
    return view && run ? toTrainingRun(view._id, run, view.blindTests) : null;
  }

  @Query(() => [BaseModel], { description: "The base models training accepts, the default first." })
  baseModels(@Ctx() context: ApiContext): BaseModel[] {
    requirePrincipal(context);
    return [...context.services.baseModels()]
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
      .map((m) => ({
        ...m,
        untrainableReason: m.untrainableReason ? BaseModelUntrainableReason[m.untrainableReason] : null,
      }));
  }

  @Query(() => [CloneEvent], {
    description: "The clone's timeline: every event of its stream, oldest first.",
  })
  async cloneEvents(@Arg("id", () => ID) id: string, @Ctx() context: ApiContext): Promise<CloneEvent[]> {
    const events = await context.services.clones.events(requirePrincipal(context), id);
    return events.map(toCloneEvent);
  }
}
