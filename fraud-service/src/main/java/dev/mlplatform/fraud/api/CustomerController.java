package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.fraud.decision.CustomerErasure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What this service keeps about a customer, and its erasure (GDPR right to erasure). */
@RestController
@RequestMapping(path = "/api/fraud/v1/customers", produces = MediaType.APPLICATION_JSON_VALUE)
class CustomerController {

    private final CustomerErasure erasure;

    CustomerController(CustomerErasure erasure) {
        this.erasure = erasure;
    }

    @Operation(summary = "Erase a customer",
            description = "Deletes the online and offline features of the customer's cards and every decision of "
                    + "the customer or on those cards. Idempotent: a second call finds nothing left.")
    @ApiResponse(responseCode = "200", description = "What was erased")
    @ApiResponse(responseCode = "400", description = "Malformed customer id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "A store could not erase; nothing is lost by asking again",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @DeleteMapping("/{customerId}")
    CustomerErasure.Report erase(@PathVariable String customerId) {
        if (!TransactionValidator.validId(customerId)) {
            throw new InvalidCustomerIdException(TransactionValidator.ID_RULE);
        }
        return erasure.erase(customerId);
    }
}
