import { BlindTestResolvers } from "./blindTestResolvers.js";
import { CloneFields, DatasetFields, PublishedVersionFields } from "./cloneFields.js";
import { CloneMutations } from "./cloneMutations.js";
import { CloneQueries } from "./cloneQueries.js";
import { CloneSubscriptions } from "./cloneSubscriptions.js";
import { CorrectionResolvers } from "./correctionResolvers.js";
import { OwnerResolvers } from "./ownerResolvers.js";
import { PreviewResolvers } from "./previewResolvers.js";

export const resolvers = [
  CloneQueries,
  CloneMutations,
  CloneSubscriptions,
  CloneFields,
  PublishedVersionFields,
  DatasetFields,
  OwnerResolvers,
  PreviewResolvers,
  BlindTestResolvers,
  CorrectionResolvers,
] as const;
