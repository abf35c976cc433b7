package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** The gateway documents its HTTP API at {@code /q/openapi}, with examples, and serves Swagger UI. */
@SluiceCluster
class HttpOpenApiIT {

    static TestCluster cluster;

    @Test
    void everyEndpointIsDocumentedWithExamplesAndSwaggerUiIsServed() {
        JsonPath openApi = given().baseUri(cluster.httpUrl()).accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        assertThat(paths).containsKeys(
                "/topics", "/topics/{topic}", "/topics/{topic}/configs", "/topics/{topic}/partitions",
                "/topics/{topic}/partitions/{partition}", "/topics/{topic}/partitions/{partition}/offsets",
                "/topics/{topic}/partitions/{partition}/records", "/topics/{topic}/stream", "/topics/{topic}/ws",
                "/v3/clusters", "/v3/clusters/{cluster_id}", "/v3/clusters/{cluster_id}/topics",
                "/v3/clusters/{cluster_id}/topics/{topic_name}",
                "/v3/clusters/{cluster_id}/topics/{topic_name}/partitions",
                "/v3/clusters/{cluster_id}/topics/{topic_name}/configs",
                "/v3/clusters/{cluster_id}/topics/{topic_name}/configs:alter",
                "/v3/clusters/{cluster_id}/topics/{topic_name}/records",
                "/groups", "/groups/{group}", "/groups/{group}/lag", "/groups/{group}/offsets/reset");
        assertThat(paths.get("/topics/{topic}")).containsKeys("get", "post", "delete");
        assertThat(paths.get("/groups/{group}")).containsKeys("get", "delete");
        assertThat(openApi.getString("paths.'/topics/{topic}'.post.requestBody.content."
                + "'application/vnd.kafka.text.v2+json'.examples.text.value")).contains("customer-7");
        assertThat(openApi.getString("paths.'/v3/clusters/{cluster_id}/topics/{topic_name}/records'.post"
                + ".requestBody.content.'application/json'.examples.'one record'.value")).contains("partition_id");
        assertThat(openApi.getString("paths.'/topics/{topic}/ws'.get.summary")).contains("WebSocket");

        given().baseUri(cluster.httpUrl()).get("/q/swagger-ui/").then().statusCode(200);
    }
}
