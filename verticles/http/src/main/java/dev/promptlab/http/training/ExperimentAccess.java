package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;

/**
 * Who may see and act on an experiment. An experiment, its images and its comments belong to the account that
 * created it ({@code experiments.created_by}, the creator's email): that account rates it, retries its failed
 * variants, fetches its images and sees it in the history. Admins (accounts in {@code admin_emails}, and the
 * operator's admin token) may do all of that for every experiment. An experiment without a recorded creator is
 * reachable by admins only.
 */
public final class ExperimentAccess {

  /** The bundle key of the refusal's text on pages. */
  public static final String NOT_YOURS_KEY = "error_not_your_experiment";

  private ExperimentAccess() {
  }

  public static boolean mayUse(Principal caller, String createdBy) {
    return caller != null && (caller.admin() || createdBy != null && createdBy.equals(caller.name()));
  }

  /** The owner whose experiments a history shows: null (all) for admins, else the caller. */
  public static String historyOwner(Principal caller) {
    return historyOwner(caller, null);
  }

  /**
   * The owner whose experiments a history shows when {@code trainer} is asked for: an admin sees that trainer's
   * (all when null), anyone else their own whatever they ask.
   */
  public static String historyOwner(Principal caller, String trainer) {
    return caller.admin() ? trainer : caller.name();
  }

  /** The 403 of a trainer acting on a colleague's experiment. */
  public static ApiError notYours(String experimentId, String what) {
    return ApiError.forbidden("experiment " + experimentId + " was created by another trainer; only its creator or an"
      + " admin may " + what + " it").withMessageKey(NOT_YOURS_KEY);
  }
}
