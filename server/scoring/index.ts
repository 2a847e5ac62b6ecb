export { indicatorValue, normalise, quantile, shareRanks, standardDeviation, tierOf, type Bounds } from './steps.js';
export { FrameCountError, score, prepareWithReplicates, type ScoringInput, type ScoringResult, type UnitScore, type BootstrapDraws, type PreparedScoring } from './engine.js';
export { stratifiedMean, normalQuantile } from './estimate.js';
export { seededRandom, seedFromText, replicateStreams, type Random, type ReplicateStreams } from './random.js';
export { MICRODATA_FORMAT, WHOLE_UNIT, buildMicrodata, microdataByUnit, headerOf, type AnyMicrodata, type MicrodataByUnit, type UnweightedResponse, canonicalJson, sortResponses, scoringInputOf, scoreMicrodata, finishYear, type Microdata, type MicrodataResponse, type MicrodataSeries, type PreviousYear } from './microdata.js';
export { changesFromLastYear, pastBounds, type UnitChange, type UnitLink } from './series.js';
export { collapseStrata, frameCountProblem, respondentCounts, splitStratumKey, DEFAULT_MIN_STRATUM_RESPONDENTS, type StratumCount, type Collapsed } from './strata.js';
export { scoreMicrodataInParallel } from './parallel.js';
export { ResponseTable } from './response-table.js';
