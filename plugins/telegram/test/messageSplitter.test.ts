import { describe } from "node:test";
import { splitterCases } from "../../test/messageSplitterCases.js";
import { splitMessage } from "../messageSplitter.js";

describe("telegram reply splitter", () => splitterCases(splitMessage));
