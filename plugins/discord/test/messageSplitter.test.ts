import { describe } from "node:test";
import { splitterCases } from "../../test/messageSplitterCases.js";
import { splitMessage } from "../messageSplitter.js";

describe("discord reply splitter", () => splitterCases(splitMessage));
