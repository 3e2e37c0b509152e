import { describe } from "node:test";
import { splitMessage } from "./messageSplitter.js";
import { splitterCases } from "./test/messageSplitterCases.js";

describe("reply splitter (Telegram 4096, Discord 2000)", () => splitterCases(splitMessage));
